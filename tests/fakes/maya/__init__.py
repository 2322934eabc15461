"""A hand-written stand-in for Autodesk's ``maya`` package, for tests that run without Maya.

It mirrors the names, flags and return types of the real commands (checked against the
``maya-stubs`` package and Autodesk's command reference) for the part the Afanasy plugin
and its tests use: nodes and attributes, legacy render layers and their adjustments,
Render Setup layers (``maya.app.renderSetup``), cameras, ``renderSettings`` image names,
the workspace, scene files and references, shelves and menus, plug-in loading, batch mode
(``maya.standalone``), deferred calls (``maya.utils``) and the main window's Qt pointer
(``maya.OpenMayaUI``). Tests set up
scenes through those public calls only; there is no test-only back door.

Importing it starts a new interactive session; tests get a fresh one by dropping every
``maya`` module from ``sys.modules`` (see tests/maya/conftest.py).

Deliberate simplifications, so that a test's expectations stay obvious:

- Flags are accepted by their long names only (as maya-stubs types them).
- ``renderSettings`` expands the ``<Scene>``, ``<RenderLayer>`` / ``<Layer>``, ``<Camera>``
  and ``<Version>`` tokens of ``defaultRenderGlobals.imageFilePrefix`` and writes
  ``name.#.ext`` (``name.ext`` when ``animation`` is off), the extension being
  ``defaultRenderGlobals.imfPluginKey``. Maya's automatic layer and camera sub-folders
  and renderer-specific naming are not reproduced.
- A Render Setup override (``createAbsoluteOverride``) is kept as an adjustment of the
  layer's legacy render layer, as ``editRenderLayerAdjustment`` makes one; both apply
  when that layer is current.
- Scene files are JSON under a ``//Maya ASCII`` line: they round-trip through save,
  open and reference, and nothing else reads them.
- Control names are unique in the whole session, not only under their parent.
"""
