"""Interchange formats: GIFT (Moodle) import and export, and the JSON Schema of a bank."""
