"""Stage 4, render: the resolved corpus to page sources (Markdown skeletons with HTML parts) and exports.

Pure: records in, text out; nothing here imports MkDocs.
"""
