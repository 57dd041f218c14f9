"""Pieces of SQL that several queries build the same way."""


def where(**filters):
    """A WHERE clause naming only the filters that are set (`column = :name`, the name being the
    column's without its table), so that SQLite can use their indexes: `:x is null or
    column = :x` makes it read every row. Column names come from the code, never from a request."""
    conditions = [f"{column} = :{column.rsplit('.', 1)[-1]}" for column, value in filters.items() if value is not None]
    return f"where {' and '.join(conditions)}" if conditions else ""
