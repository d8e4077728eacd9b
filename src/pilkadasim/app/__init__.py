"""The planners' what-if page (``pilkadasim-app``): a small local web server and its page.

``engine`` runs and caches simulations for the page, ``compare`` words paired differences,
``server`` holds the HTTP routes and the off-loopback safety rules, ``cli`` starts it all.
The page itself (``static/``) is plain HTML, CSS and JavaScript served by the package.
"""
