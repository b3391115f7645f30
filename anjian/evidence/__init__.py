"""Evidence: the eight lawful kinds, hashed files, custody, preservation (行政处罚法 Art 46, 56)."""
