"""Where the warehouse is and how to reach it (embedded pgserver or any PostgreSQL via PG* vars)."""
