"""Nuke runs this on every start, render nodes included; the plug-in needs nothing here.

The menu (menu.py) only exists in the GUI; rendering a submitted job is plain
Nuke, so a render node pays nothing for having this folder on NUKE_PATH.
"""
