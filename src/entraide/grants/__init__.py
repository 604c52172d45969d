"""Training grants paid against receipts, fees and the network's ledger, articles (issue 13,
field document 000)."""
