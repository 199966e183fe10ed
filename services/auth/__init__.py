"""Signing in and roles (登录与权限): password hashes, lockout, the roles file, user management."""
