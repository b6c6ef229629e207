from flask import Blueprint

bp = Blueprint("ideas", __name__)
