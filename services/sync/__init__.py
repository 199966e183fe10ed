"""County sync (县级同步): hub client, push, pull, number leases, county actions, credentials."""
