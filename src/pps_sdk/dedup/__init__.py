"""The unified municipal service list (work in progress: the text analysis is built; matching,
clustering, input and output are not yet)."""
