"""The landing zone: files a user drops in, validated against a contract, landed in bronze or quarantined."""
