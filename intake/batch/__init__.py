"""The batch runner: inbox -> case store -> worker pool -> extractors -> checklists -> reports."""
