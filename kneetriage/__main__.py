from kneetriage.cli import main

main()
