"""What the test packages share: served apps, journeys, worlds, waiting and databases."""
