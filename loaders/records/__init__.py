"""The deployment record format (``data/deployments/*.yaml``): the source's words beside every figure
(:mod:`.quotes`) and the numbers a quote states (:mod:`.numbers`)."""
