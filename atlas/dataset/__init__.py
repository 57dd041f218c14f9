"""data/ -> instance/atlas.db: read and validate data/, lay approved changes over it, write the
public database. No Flask here: `atlas build`, `atlas publish` and the importers call it."""
