from kneetriage import main

main()
