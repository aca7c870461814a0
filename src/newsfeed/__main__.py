from newsfeed.cli import main

main()
