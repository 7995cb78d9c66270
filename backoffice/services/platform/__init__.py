"""Platform services shared by every domain: scope (who may read and act on which object), ..."""
