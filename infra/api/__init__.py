"""The read API: what dashboards and auditors read over HTTP (`govledger api`)."""
