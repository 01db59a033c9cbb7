"""Runners: the local process-pool runner (and, later, the Ray runner) around ``pipeline.process_batch``."""
