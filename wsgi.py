from eventsite import create_app

app = create_app()
