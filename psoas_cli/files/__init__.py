"""Everything read from or written to the user's disk, but the history database:
the YAML data files and their schemas, the cache, config.toml, the user's
routines.yaml edited as text, safe writes and bounded reads.  The only
package that imports PyYAML.
"""
