from sanctionscope.cli import script

script()
