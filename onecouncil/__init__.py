"""onecouncil: a reporting warehouse for UK councils."""
