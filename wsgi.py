from ideation import create_app

app = create_app()
