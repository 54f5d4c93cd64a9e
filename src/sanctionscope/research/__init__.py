"""Tools for researchers: the sanctions network, briefings."""
