"""Target catalogues: the :class:`Target` model, the :class:`Catalogue` container,
file input/output and the shipped catalogue of both plans."""
