"""The depot: many stations sharing one record on a PostgreSQL server. The only package that imports psycopg."""
