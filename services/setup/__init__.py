"""Setting up a PC (初始化): opening the store, the township, organisations and users."""
