"""Surveyed imposers: the claim that every country-level regime of an imposer is recorded.

A survey (``data/surveys/<IMPOSER>.yaml``, one file per imposer) says that every
country-level sanctions regime of the imposer in force at any time on or after ``since``
is in the data, at least as a regime-level record, as of ``reviewed_on``. Once any survey
is in the data, a side of a shipment whose country is not surveyed on the day needs
coverage (design.md, Coverage): the data set cannot know what that country restricts.
These are the contract of ``data/surveys/*.yaml`` (documented in docs/data-format.md).
"""

from __future__ import annotations

from datetime import date

from pydantic import Field

from sanctionscope.model.acts import Source, Spec


class SurveySpec(Spec):
    """One imposer surveyed: every country-level regime in force on or after ``since``."""

    imposer: str
    #: every country-level regime in force on or after this day is recorded
    since: date
    #: the day the sources were last checked for new regimes
    reviewed_on: date
    #: the claim in words, for users
    statement: str = Field(min_length=1)
    sources: list[Source] = Field(min_length=1)
    #: for a union (EU): the survey also vouches for the national regimes of its members
    #: while they are bound by it (design.md: a side's imposers)
    members: bool = False
