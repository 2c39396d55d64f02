from __future__ import annotations

from ratification import badges


class TextWidthTests:
    def test_it_measures_verdana_at_11_px(self):
        # Verdana's "0" is 1302 units of 2048: 7.0 px at 11 px.
        assert round(badges.text_width("0"), 2) == 6.99
        assert badges.text_width("mmm") > badges.text_width("iii") * 3

    def test_it_measures_an_accented_letter_as_its_base_letter(self):
        assert badges.text_width("Česká republika") == badges.text_width("Ceska republika")
        assert badges.text_width("Côte d\u2019Ivoire") > badges.text_width("Cote d")

    def test_an_unknown_character_counts_as_an_average_glyph(self):
        assert badges.text_width("中") == badges.text_width("0")


class ShortenedTests:
    def test_a_name_that_fits_is_kept_whole(self):
        assert badges.shortened("UN Convention against Cybercrime") == "UN Convention against Cybercrime"

    def test_a_long_name_is_cut_after_a_meaningful_word_and_ends_with_an_ellipsis(self):
        name = "Convention on the Prohibition of the Development, Production and Stockpiling of Weapons"
        short = badges.shortened(name)
        assert short == "Convention on the Prohibition…"
        assert badges.text_width(short) <= badges.LABEL_MAX_WIDTH

    def test_a_single_word_longer_than_the_badge_is_cut_between_letters(self):
        short = badges.shortened("W" * 80)
        assert short.endswith("…") and badges.text_width(short) <= badges.LABEL_MAX_WIDTH


class BadgeLayoutTests:
    def test_the_two_boxes_hold_their_texts_with_padding(self):
        badge = badges.badge_layout(label="UN Convention against Cybercrime", message="12 / 40", colour="#0b5cad")
        assert badge.width == round(badge.label_width + badge.message_width, 1)
        assert badge.label_width == round(badge.label_text_length + 2 * badges.PADDING, 1)
        assert badge.message_x == round(badge.label_width + badge.message_width / 2, 1)
        assert badge.height == 20
