"""sklearn-seq in one minute: an LSTM reads handwritten digits row by row.

Each 8x8 image of scikit-learn's digits data set (1,797 real handwritten digits) is a
sequence of 8 rows with 8 pixels each. ``LSTMClassifier`` is a scikit-learn estimator:
``fit``, ``predict`` and ``score`` work as for any other classifier.
"""

from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from sklearn_seq import LSTMClassifier

digits = load_digits()
X = digits.images / 16.0  # (n_images, 8 rows = time steps, 8 pixels = features per step)
X_train, X_test, y_train, y_test = train_test_split(X, digits.target, test_size=0.25, random_state=0)

model = LSTMClassifier(hidden_size=64, lr=0.01, max_epochs=15, random_state=0)
model.fit(X_train, y_train)

print(model.summary())
print(f"trained {model.n_iter_} epochs; final training loss {model.loss_curve_[-1]:.3f}")
print(f"test accuracy: {model.score(X_test, y_test):.3f}")
print(f"first test digits: true {y_test[:10].tolist()}, predicted {model.predict(X_test[:10]).tolist()}")
