"""The one list of ConvLab's pages: the router and the Home cards both read it."""

from dataclasses import dataclass


@dataclass(frozen=True)
class PageInfo:
    script: str  # path relative to app/
    title: str
    icon: str
    url_path: str
    promise: str  # one line on the Home card
    preview: str  # image in assets/previews/


PAGES = (
    PageInfo("pages/kernels/page.py", "Kernels", ":material/grid_on:", "kernels",
             "Design a kernel, slide it over a photo, and see why every output pixel is what it is.",
             "kernels.png"),
    PageInfo("pages/pooling/page.py", "Pooling", ":material/filter_center_focus:", "pooling",
             "Change window size and stride and watch overlap, gaps and downsampling appear.",
             "pooling.png"),
    PageInfo("pages/transforms/page.py", "Transforms", ":material/transform:", "transforms",
             "Chain torchvision transforms, sample their randomness, and feed a DataLoader.",
             "transforms.png"),
    PageInfo("pages/digits/page.py", "Draw a digit", ":material/draw:", "digits",
             "Draw a digit and watch a real CNN classify it, every feature map live.",
             "digits.png"),
    PageInfo("pages/anatomy/page.py", "Anatomy & training", ":material/model_training:", "anatomy",
             "Design a CNN stack, watch shapes flow, and train the digit CNN live.",
             "anatomy.png"),
)
