"""Domain services: the rules of the product. Handlers call these; these call storage."""
