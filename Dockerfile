# The tracker's image: web (gunicorn), worker and beat all run from it (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .
# Static files are collected at build time with throw-away settings values; the real ones
# come from the environment at run time.
RUN ENVIRONMENT=production SECRET_KEY=build-only-not-secret ALLOWED_HOSTS=localhost \
    DATABASE_URL=sqlite:////tmp/build-only.sqlite3 \
    python manage.py collectstatic --no-input \
    && useradd --system --uid 10001 --home-dir /app tracker \
    && mkdir -p /app/var && chown tracker /app/var
USER tracker

EXPOSE 8000
CMD ["python", "-m", "gunicorn", "tracker.wsgi", "--config", "gunicorn.conf.py"]
