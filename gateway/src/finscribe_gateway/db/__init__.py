"""Storage: the table definitions, the async engine and the migrations runner."""
