"""Compliance documents: the printed checklist of each phone, made with Qt's own text and PDF engine."""
