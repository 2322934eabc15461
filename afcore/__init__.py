"""afcore: the shared core of the Afanasy submitter suite.

A DCC reads its scene into plain data (:mod:`afcore.scene`); pure Python turns
that data into an Afanasy job (:mod:`afcore.build`, :mod:`afcore.job`); one
client sends it (:mod:`afcore.client`). No DCC module and no Qt is imported here.
"""

__version__ = "0.1.0"
