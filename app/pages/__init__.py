"""One package per page; a page never imports another page."""
