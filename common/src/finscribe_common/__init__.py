"""FinScribe shared service kit: what every service needs, once."""
