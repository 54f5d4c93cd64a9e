"""ISO 3166 countries and subdivisions as plain lookup tables.

pycountry answers every lookup from its JSON databases; reading them takes longer than
answering a question. The tables are built once from pycountry and kept with the
compiled snapshot, so a command that answers from the snapshot never loads pycountry.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IsoTables:
    #: casefolded alpha-2, alpha-3, numeric code, name, official and common name -> alpha-2
    lookup: dict[str, str]
    #: alpha-2 -> the name shown to users (common name where ISO gives one)
    countries: dict[str, str]
    #: ISO 3166-2 code -> name
    subdivisions: dict[str, str]
    #: alpha-2 -> ISO 3166-1 numeric code (the map's geometry is keyed by it)
    numeric: dict[str, str]

    @classmethod
    def from_pycountry(cls) -> IsoTables:
        import pycountry

        lookup: dict[str, str] = {}
        countries: dict[str, str] = {}
        numeric: dict[str, str] = {}
        for record in pycountry.countries:
            alpha_2 = str(record.alpha_2)
            countries[alpha_2] = str(getattr(record, "common_name", None) or record.name)
            numeric[alpha_2] = str(record.numeric)
            for attr in ("alpha_2", "alpha_3", "numeric", "name", "official_name", "common_name"):
                value = getattr(record, attr, None)
                if value:
                    lookup.setdefault(str(value).casefold(), alpha_2)
        subdivisions = {str(s.code): str(s.name) for s in pycountry.subdivisions}
        return cls(lookup, dict(sorted(countries.items())), subdivisions, numeric)
