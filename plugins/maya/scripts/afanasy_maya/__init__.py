"""Afanasy for Maya: submit render layers to the farm from a shelf button or the Afanasy menu.

- :mod:`afanasy_maya.ui` adds the shelf and the menu (what the plug-in does when it loads);
- :mod:`afanasy_maya.host` reads the open scene for afcore's submit pipeline;
- :mod:`afanasy_maya.layers` reads render layers, cameras, frames and files from Maya;
- :mod:`afanasy_maya.farm` builds the ``Render`` command each task runs (no Maya needed);
- :mod:`afanasy_maya.install` makes the module known to the user's Maya.

Importing this package imports nothing else, so that Maya starts as fast as without it.
"""
