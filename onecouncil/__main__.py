from onecouncil.cli import main

main()
