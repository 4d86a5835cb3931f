"""Publication: approved public packs, copied into `$ONECOUNCIL_HOME/published/`.

A static site a council can put behind its website (contracts/packs.md "Publication"):

- `index.html`: every publication by year and period, its formats and the date published
- `packs/<pack>.html`: a page per pack, every period and version, superseded ones marked
  `Superseded on <date> by version N` with the headline figures that moved
- `<fiscal year>/<period>/<pack>/v<N>/<pack>.{html,pdf,csv}`: the published files
- `index.json`: every publication, version, data version and the sha256 of each file

A publication is never overwritten or deleted: a restated period is a new version beside
the old. Restricted packs are never copied here. The site is the one place meant to be
world-readable: files 0644, folders 0755, whatever the umask.
"""

from onecouncil.publish.site import NotPublishable, publish, published_root

__all__ = ["NotPublishable", "publish", "published_root"]
