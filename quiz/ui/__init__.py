"""The terminal: console, width, colour, wrapping; the interactive and plain front ends;
feedback text.
"""
