from __future__ import annotations

from django.urls import path

from alerts import views

app_name = "alerts"

urlpatterns = [
    path("subscribe/", views.subscribe, name="subscribe"),
    path("subscribe/confirm/<str:token>/", views.confirm, name="confirm"),
    path("subscribe/confirm/<str:token>/new/", views.confirm_resend, name="confirm_resend"),
    path("u/<str:token>/", views.manage, name="manage"),
    path("u/<str:token>/preferences/", views.preferences, name="preferences"),
    path("alerts/webhooks/bounces/", views.bounce_webhook, name="bounce_webhook"),
]
