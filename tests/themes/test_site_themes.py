"""A site's own themes: the owner renames, merges, hides and adds themes and seed words."""

from __future__ import annotations

import json

import pytest

from feedbackwidget.themes import SiteTaxonomy, Theme, emerging_topics, themes_of


def test_a_renamed_theme_keeps_its_key_and_shows_the_new_name_in_that_language_only() -> None:
    taxonomy = SiteTaxonomy(renames={"delivery": {"hu": "Kiszállítás"}}).build()
    assert taxonomy.theme("delivery").name("hu") == "Kiszállítás"
    assert taxonomy.theme("delivery").name("en") == "Delivery"
    assert themes_of("a futár késett", "hu", taxonomy).themes == ("delivery",)


def test_a_merged_theme_is_counted_under_the_theme_it_went_into() -> None:
    taxonomy = SiteTaxonomy(merges={"packaging": "delivery"}).build()
    assert "packaging" not in taxonomy.keys
    assert themes_of("the box was crushed", "en", taxonomy).themes == ("delivery",)


def test_a_hidden_theme_is_never_assigned() -> None:
    taxonomy = SiteTaxonomy(hidden=frozenset({"loyalty"})).build()
    assert "loyalty" not in taxonomy.keys
    assert themes_of("my points disappeared", "en", taxonomy).themes == ()


def test_an_added_theme_matches_its_seeds_in_each_language() -> None:
    gift_wrap = Theme("gift_wrap", {"en": "Gift wrapping", "hu": "Ajándékcsomagolás", "zh": "礼品包装"},
                      {"en": ("gift wrap*",), "hu": ("ajándékcsomagol*",), "zh": ("礼品包装",)})
    taxonomy = SiteTaxonomy(added=(gift_wrap,)).build()
    assert taxonomy.keys[-1] == "gift_wrap"
    assert themes_of("would love gift wrapping", "en", taxonomy).themes == ("gift_wrap",)
    assert themes_of("kérek ajándékcsomagolást", "hu", taxonomy).themes == ("gift_wrap",)
    assert themes_of("希望有礼品包装", "zh", taxonomy).themes == ("gift_wrap",)


def test_seed_words_are_added_and_removed_per_language() -> None:
    site = SiteTaxonomy(added_seeds={"stock": {"en": ("gluten free",)}},
                        removed_seeds={"price": {"en": ("sale",)}})
    taxonomy = site.build()
    assert themes_of("more gluten free bread please", "en", taxonomy).themes == ("stock",)
    assert themes_of("bought it in the sale", "en", taxonomy).themes == ()
    assert themes_of("akciós áron vettem", "hu", taxonomy).themes == ("price",)


def test_turning_an_emerging_topic_into_a_theme_takes_it_off_the_emerging_list() -> None:
    texts = ["the gift card balance is wrong", "where do I see my gift card balance", "gift card balance missing"]
    assert [topic.phrase for topic in emerging_topics(texts)] == ["gift card balance"]
    site = SiteTaxonomy(added=(Theme("gift_cards", {"en": "Gift cards"}, {"en": ("gift card",)}),))
    assert emerging_topics(texts, site.build()) == []


def test_the_edits_are_stored_as_json_and_read_back() -> None:
    site = SiteTaxonomy(renames={"delivery": {"en": "Shipping"}}, merges={"packaging": "delivery"},
                        hidden=frozenset({"loyalty"}), added=(Theme("parking", {"en": "Parking"}, {"en": ("parking",)}),),
                        added_seeds={"stock": {"hu": ("elfogyott",)}}, removed_seeds={"price": {"en": ("sale",)}})
    assert SiteTaxonomy.from_dict(json.loads(json.dumps(site.to_dict()))) == site


@pytest.mark.parametrize(("site", "message"), [
    (SiteTaxonomy(merges={"parking": "delivery"}), "cannot merge theme 'parking'"),
    (SiteTaxonomy(merges={"delivery": "parking"}), "cannot merge into theme 'parking'"),
    (SiteTaxonomy(renames={"parking": {"en": "Parking"}}), "cannot rename theme 'parking'"),
    (SiteTaxonomy(hidden=frozenset({"parking"})), "cannot hide theme 'parking'"),
    (SiteTaxonomy(merges={"packaging": "delivery", "delivery": "price"}), "merged and merged into"),
    (SiteTaxonomy(added=(Theme("delivery", {"en": "Again"}),)), "repeated: delivery"),
])
def test_an_edit_that_refers_to_no_theme_says_which(site: SiteTaxonomy, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        site.build()


def test_a_theme_key_must_be_a_plain_identifier() -> None:
    with pytest.raises(ValueError, match="theme key 'Gift Wrap' is not valid"):
        Theme("Gift Wrap", {"en": "Gift wrap"})


def test_stored_edits_in_the_wrong_shape_are_refused_with_the_fix() -> None:
    with pytest.raises(ValueError, match="store SiteTaxonomy.to_dict"):
        SiteTaxonomy.from_dict({"added": [{"names": {"en": "no key"}}]})
