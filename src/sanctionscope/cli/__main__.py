from sanctionscope.cli import main

main()
