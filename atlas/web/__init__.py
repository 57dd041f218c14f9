"""What every page shares: the read-only database connection, languages, templates and htmx,
URLs and assets, caching, security headers, sessions and error pages."""
