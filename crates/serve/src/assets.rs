//! The page, compiled into the binary: `hailsham serve` needs no network and no files.
//! uPlot (MIT, its licence beside it) draws the charts.

/// An asset: its path under `/assets/`, its content type and its bytes.
pub(crate) struct Asset {
    pub path: &'static str,
    pub content_type: &'static str,
    pub bytes: &'static [u8],
}

/// The page itself, served at `/`.
pub(crate) const INDEX: &str = include_str!("../assets/index.html");

/// Everything under `/assets/`.
pub(crate) const ASSETS: [Asset; 5] = [
    Asset {
        path: "app.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../assets/app.js"),
    },
    Asset {
        path: "style.css",
        content_type: "text/css; charset=utf-8",
        bytes: include_bytes!("../assets/style.css"),
    },
    Asset {
        path: "vendor/uPlot.iife.min.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../assets/vendor/uPlot.iife.min.js"),
    },
    Asset {
        path: "vendor/uPlot.min.css",
        content_type: "text/css; charset=utf-8",
        bytes: include_bytes!("../assets/vendor/uPlot.min.css"),
    },
    Asset {
        path: "vendor/LICENSE-uPlot",
        content_type: "text/plain; charset=utf-8",
        bytes: include_bytes!("../assets/vendor/LICENSE-uPlot"),
    },
];

/// The asset at `path`, if there is one: a name looked up in a fixed table, never a file
/// opened, so no path can reach outside it.
pub(crate) fn find(path: &str) -> Option<&'static Asset> {
    ASSETS.iter().find(|asset| asset.path == path)
}
