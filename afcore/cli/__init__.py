"""The command-line tools: ``afcmd`` (talk to a farm) and ``afsubmit`` (submit without a DCC)."""
