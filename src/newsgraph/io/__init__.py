"""Readers that turn files, directories, archives and stdin into ``Article`` records (no NLP)."""
