"""Jurisdictions: input forms, blocs over time, subdivisions and territories."""

from __future__ import annotations

from datetime import date

import pytest

from sanctionscope.engine.catalog import Catalog
from sanctionscope.errors import InputError
from sanctionscope.model.jurisdictions import Inclusion


@pytest.mark.parametrize(
    ("text", "jid"),
    [
        ("RU", "RU"),
        ("rus", "RU"),
        ("Russia", "RU"),
        ("Russian Federation", "RU"),
        ("JPN", "JP"),
        ("Japan", "JP"),
        ("UK", "GB"),
        ("GBR", "GB"),
        ("United Kingdom", "GB"),
        ("NO", "NO"),
        ("Norway", "NO"),
        ("JP-04", "JP-04"),
        ("Crimea", "CRIMEA"),
        ("EU", "EU"),
        ("Turkey", "TR"),
        ("TUR", "TR"),
    ],
)
def test_countries_are_accepted_as_iso2_iso3_or_name(real: Catalog, text: str, jid: str) -> None:
    assert real.resolve(text, "origin") == jid


@pytest.mark.parametrize("text", ["", "XX", "Atlantis", "R1"])
def test_unknown_country_names_field_and_value(real: Catalog, text: str) -> None:
    with pytest.raises(InputError, match="origin"):
        real.resolve(text, "origin")


@pytest.mark.parametrize(
    ("country", "day", "inclusion"),
    [
        ("PL", date(2014, 8, 10), Inclusion.yes),
        ("HR", date(2013, 6, 30), Inclusion.no),  # Croatia joined 1 Jul 2013
        ("HR", date(2013, 7, 1), Inclusion.yes),
        ("GB", date(2020, 1, 31), Inclusion.yes),  # last day as a member
        ("GB", date(2020, 2, 1), Inclusion.unclear),  # transition period
        ("GB", date(2020, 12, 31), Inclusion.unclear),
        ("GB", date(2021, 1, 1), Inclusion.no),
        ("NO", date(2014, 8, 10), Inclusion.no),
        ("JP", date(2014, 8, 10), Inclusion.no),
    ],
)
def test_eu_target_means_the_members_on_the_day(
    real: Catalog, country: str, day: date, inclusion: Inclusion
) -> None:
    assert real.dataset.jurisdictions.includes("EU", country, day) == inclusion


def test_subdivision_is_covered_by_its_country_but_territory_claims_are_not_asserted(real: Catalog) -> None:
    jur = real.dataset.jurisdictions
    assert jur.includes("JP", "JP-04", date(2014, 8, 10)) == Inclusion.yes
    assert jur.includes("UA", "CRIMEA", date(2014, 8, 10)) == Inclusion.no
    assert jur.includes("RU", "CRIMEA", date(2014, 8, 10)) == Inclusion.no


def test_eaeu_starts_in_2015(real: Catalog) -> None:
    jur = real.dataset.jurisdictions
    assert jur.members("EAEU", date(2014, 12, 31)) == frozenset()
    assert {"RU", "BY", "KZ"} <= jur.members("EAEU", date(2015, 1, 1))
    assert "KG" in jur.members("EAEU", date(2015, 8, 12))
    assert {"IS", "NO", "LI", "DE"} <= jur.members("EEA", date(2014, 8, 10))
